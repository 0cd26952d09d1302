extension Ultra2Dump {
    /// Replays a capture of what an Ultra 2 sent (meter→host lines) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
