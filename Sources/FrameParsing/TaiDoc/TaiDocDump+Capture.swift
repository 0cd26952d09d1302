extension TaiDocDump {
    /// Replays a capture of what a TaiDoc device sent (meter→host frames) into readings; the
    /// records of a model `models` does not list, or of a type it may not send, are problems.
    public static func decodeCapture(_ bytes: [UInt8], profileID: String, models: TaiDocModels = .glucoseMeters) -> DecodedCapture {
        var stream = CaptureStream(profileID: profileID, models: models)
        return stream.collect(bytes)
    }
}
