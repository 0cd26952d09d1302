#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// With `FUZZ_WRITE_SEEDS=DIR` in the environment, a target writes the seeds its
/// `fuzzSeeds()` makes into DIR (as `gen-N`) and exits; `scripts/fuzz` uses this to seed the
/// working corpus. Otherwise libFuzzer starts as usual.
@_cdecl("LLVMFuzzerInitialize")
public func LLVMFuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>?,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    guard let dir = getenv("FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) else { return 0 }
    for (i, seed) in fuzzSeeds().enumerated() {
        guard let file = fopen("\(dir)/gen-\(i)", "wb") else {
            perror("cannot write seeds into \(dir)")
            exit(1)
        }
        _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    exit(0)
}
