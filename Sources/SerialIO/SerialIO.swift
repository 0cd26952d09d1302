// SerialIO module.
