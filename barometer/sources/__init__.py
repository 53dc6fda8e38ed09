"""Live data sources: SCB PxWebApi 2.0, Kolada v3 and SCB geodata WFS, fetched into data/raw."""
