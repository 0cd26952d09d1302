/// The global measurements a cart reports with a resting ECG. Nil means the cart did not
/// measure it (no P wave, rejected lead, "not computed" marker).
public struct ECGMeasurements: Sendable, Hashable {
    /// Ventricular rate, beats per minute.
    public var heartRate: Int?
    /// PR interval, milliseconds.
    public var prInterval: Int?
    /// QRS duration, milliseconds.
    public var qrsDuration: Int?
    /// QT interval, milliseconds.
    public var qtInterval: Int?
    /// Heart-rate corrected QT interval, milliseconds.
    public var qtcInterval: Int?
    /// P axis, degrees.
    public var pAxis: Int?
    /// QRS axis, degrees.
    public var qrsAxis: Int?
    /// T axis, degrees.
    public var tAxis: Int?

    public init(heartRate: Int? = nil, prInterval: Int? = nil, qrsDuration: Int? = nil, qtInterval: Int? = nil,
                qtcInterval: Int? = nil, pAxis: Int? = nil, qrsAxis: Int? = nil, tAxis: Int? = nil) {
        self.heartRate = heartRate
        self.prInterval = prInterval
        self.qrsDuration = qrsDuration
        self.qtInterval = qtInterval
        self.qtcInterval = qtcInterval
        self.pAxis = pAxis
        self.qrsAxis = qrsAxis
        self.tAxis = tAxis
    }
}
