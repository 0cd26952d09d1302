// FrameParsing module.
