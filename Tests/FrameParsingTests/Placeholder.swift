import Testing

@Suite struct PlaceholderFrameParsingTests {}
