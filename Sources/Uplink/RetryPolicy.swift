/// Exponential backoff with jitter: `base · 2^attempts`, capped at `max`, then ±20 %.
struct RetryPolicy: Sendable {
    let baseSeconds: Double
    let maxSeconds: Double
    /// The relative spread of the jitter (0.2 = ±20 %).
    let jitter: Double = 0.2
    /// No retry comes sooner than this, however small the base.
    static let minimumDelayMillis: Int64 = 10

    /// The delay before the next attempt after `attempts` earlier failures, with `unit` in
    /// -1...1 choosing where in the jitter band it falls.
    func delayMillis(attempts: Int, unit: Double) -> Int64 {
        let exponent = UInt64(min(max(attempts, 0), 60))
        let capped = min(maxSeconds, baseSeconds * Double(UInt64(1) << exponent))
        let jittered = capped * (1 + jitter * min(max(unit, -1), 1))
        return max(Self.minimumDelayMillis, Int64((jittered * 1000).rounded()))
    }

    /// The delay with a random position in the jitter band.
    func delayMillis(attempts: Int) -> Int64 {
        delayMillis(attempts: attempts, unit: Double.random(in: -1...1))
    }
}
