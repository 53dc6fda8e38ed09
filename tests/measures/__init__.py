"""Tests of barometer.measures."""
