import FrameParsing

/// A deterministic, integer-only synthetic resting ECG for tests and the shipped capture:
/// sinus rhythm at 72/min, 500 Hz, 5 µV per count. Each beat is built from parabolic bumps
/// (P, Q, R, S, T) on limb leads I and II; III, aVR, aVL and aVF follow Einthoven's and
/// Goldberger's relations; V1…V6 mix the same bumps with a rising R and a shrinking S, as a
/// normal precordial progression does. A slow triangular baseline drift and a small
/// pseudo-random noise make the differences realistic for compression. No floating point,
/// so every platform produces the same counts.
enum ECGTestSignal {
    /// Names in the standard 12-lead order.
    static let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

    /// A parabolic bump of `amplitude` counts and half-width `width` samples centred at `centre`.
    static func bump(_ t: Int, centre: Int, width: Int, amplitude: Int) -> Int {
        let d = t - centre
        guard abs(d) < width else { return 0 }
        return amplitude * (width * width - d * d) / (width * width)
    }

    /// The beat components at sample `t` within a beat (P, Q, R, S, T), in counts.
    static func parts(_ t: Int) -> (p: Int, q: Int, r: Int, s: Int, t: Int) {
        (bump(t, centre: 80, width: 28, amplitude: 30),
         bump(t, centre: 133, width: 5, amplitude: -20),
         bump(t, centre: 142, width: 8, amplitude: 240),
         bump(t, centre: 152, width: 6, amplitude: -50),
         bump(t, centre: 290, width: 55, amplitude: 60))
    }

    /// `count` samples of every lead, lead after lead, in `names` order.
    static func leads(count: Int = 5000, seed: UInt32 = 0x1234_5678) -> [[Int32]] {
        let rr = 417 // samples per beat: 72/min at 500 Hz (≈ 833 ms)
        var state = seed
        func noise() -> Int {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Int(state >> 29) - 3 // −3…4
        }
        var out = [[Int32]](repeating: [], count: 12)
        for i in 0..<count {
            let t = i % rr
            let c = parts(t)
            let wanderPhase = i % 2000
            let wander = (wanderPhase < 1000 ? wanderPhase : 2000 - wanderPhase) / 50 - 10 // ±10 counts
            let lead1 = (c.p * 6 + c.q * 4 + c.r * 5 + c.s * 3 + c.t * 5) / 10 + wander + noise()
            let lead2 = c.p + c.q + c.r + c.s + c.t + wander + noise()
            let lead3 = lead2 - lead1
            let avr = -(lead1 + lead2) / 2
            let avl = lead1 - lead2 / 2
            let avf = lead2 - lead1 / 2
            var row = [lead1, lead2, lead3, avr, avl, avf]
            for v in 1...6 {
                // R grows from V1 to V5, S shrinks; T is upright from V2 on.
                let r = c.r * [2, 4, 7, 10, 11, 9][v - 1] / 10
                let s = c.s * [18, 20, 14, 8, 4, 2][v - 1] / 10 - c.r * [4, 3, 2, 1, 0, 0][v - 1] / 10
                let tw = c.t * [-2, 8, 10, 10, 9, 7][v - 1] / 10
                row.append(c.p / 2 + c.q * (v > 4 ? 1 : 0) + r + s + tw + wander + noise())
            }
            for (k, value) in row.enumerated() { out[k].append(Int32(value)) }
        }
        return out
    }
}
