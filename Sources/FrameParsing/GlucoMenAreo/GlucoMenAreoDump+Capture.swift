extension GlucoMenAreoDump {
    /// Replays a capture of what a GlucoMen areo sent (the information reply, then the
    /// readings reply) into readings.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID)
        return stream.collect(bytes)
    }
}
