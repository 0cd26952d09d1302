// Discovery module.
