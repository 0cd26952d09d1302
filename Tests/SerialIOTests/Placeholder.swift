import Testing

@Suite struct PlaceholderSerialIOTests {}
