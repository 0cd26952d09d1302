import Testing

@Suite struct PlaceholderEndToEndTests {}
