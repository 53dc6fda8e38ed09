"""The explorer app: ``Explorer`` widget (explorer), its data (model), charts, downloads and the ``explore`` subcommand (cli)."""


def __getattr__(name):
    if name == "Explorer":
        from barometer.app.explorer import Explorer

        return Explorer
    raise AttributeError(name)
