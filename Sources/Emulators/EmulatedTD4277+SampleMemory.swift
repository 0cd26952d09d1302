public import PocGateCore

extension EmulatedTD4277 {
    /// A deterministic, plausible meter memory: `count` records, index 0 at `newest` (seconds
    /// dropped, as the meter keeps minutes), each older one 2½ to 5½ hours before the last.
    ///
    /// Values stay within 60...300 mg/dL: before-meal tests 72...140, after-meal tests
    /// 120...300, unmarked tests anywhere in the range. The same arguments always give the same
    /// memory. Fewer records are returned if they would reach back before the year 2000.
    public static func sampleMemory(count: Int, newest: LocalDateTime) -> [EmulatedRecord] {
        var records: [EmulatedRecord] = []
        records.reserveCapacity(max(0, count))
        var time = newest.secondsSinceEpoch - Int64(newest.second)
        var seed: UInt32 = 0x4277
        for _ in 0..<max(0, count) {
            let stamp = LocalDateTime(secondsSinceEpoch: time)
            guard stamp.year >= 2000 else { break }
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let r = Int(seed >> 8)
            let spread = r / 5
            switch r % 5 {
            case 0, 1: records.append(EmulatedRecord(time: stamp, valueMgdL: 72 + spread % 69, flags: EmulatedRecord.beforeMeal))
            case 2, 3: records.append(EmulatedRecord(time: stamp, valueMgdL: 120 + spread % 181, flags: EmulatedRecord.afterMeal))
            default: records.append(EmulatedRecord(time: stamp, valueMgdL: 60 + spread % 241, flags: EmulatedRecord.noMealMark))
            }
            time -= Int64(150 + (r / 7) % 181) * 60
        }
        return records
    }
}
