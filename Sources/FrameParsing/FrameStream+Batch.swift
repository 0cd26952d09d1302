extension FrameStream {
    /// Decodes every complete frame in `bytes`, in order, handing each to `body`: the same
    /// frames, counters and pending bytes as `append(bytes)` followed by `next()` until nil.
    ///
    /// The frames are decoded straight from `bytes`. Only what is needed crosses into the
    /// stream's buffer: up to `maximumFrameLength` bytes to finish a frame begun by an
    /// earlier call, and the unfinished frame at the end (at most `maximumFrameLength` bytes).
    /// For a large read this is the fast path: no copy of the input, and a loop the compiler
    /// specialises for the decoder.
    @inlinable
    public mutating func forEachFrame(in bytes: UnsafeRawBufferPointer, _ body: (Decoder.Frame) -> Void) {
        var offset = 0
        if readIndex < buffer.count {
            guard let resumed = finishCarried(bytes, body) else { return }
            offset = resumed
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // The bytes continue from `offset` where the buffer's left off: the scan state stays.
        buffer.removeAll(keepingCapacity: true)
        readIndex = 0
        let end = bytes.count
        while offset < end {
            let run = _decoder.decodeFrames(UnsafeRawBufferPointer(start: base + offset, count: end - offset),
                                            resuming: &_scanState, body)
            offset += run.consumed
            _counters.frames += run.frames
            guard offset < end else { return }
            let available = end - offset
            let step = _decoder.decode(UnsafeRawBufferPointer(start: base + offset, count: available), resuming: &_scanState)
            let (advance, frame) = take(step, available: available)
            if advance == 0 {
                buffer.append(contentsOf: UnsafeBufferPointer(start: (base + offset).assumingMemoryBound(to: UInt8.self),
                                                              count: available))
                return
            }
            offset += advance
            _scanState.advance(by: advance)
            if let frame { body(frame) }
        }
    }

    /// Decodes the bytes left from earlier input together with the first bytes of `bytes`,
    /// until the decoder's position leaves the earlier bytes. Returns the offset in `bytes`
    /// where decoding continues, or nil when all of `bytes` went into the buffer and was
    /// decoded there.
    ///
    /// `maximumFrameLength` bytes of `bytes` are enough: a frame that starts in the earlier
    /// bytes and is not oversized ends within them; with more than `maximumFrameLength` bytes
    /// in view, a decoder that still needs more is looking at an oversized frame; and a frame
    /// or skip it reports does not change when it is shown more (the decoder contract).
    @inlinable
    mutating func finishCarried(_ bytes: UnsafeRawBufferPointer, _ body: (Decoder.Frame) -> Void) -> Int? {
        let borrowed = min(bytes.count, maximumFrameLength)
        append(UnsafeRawBufferPointer(rebasing: bytes[0..<borrowed]))
        guard borrowed < bytes.count else {
            while let frame = next() { body(frame) }
            return nil
        }
        // After `append` (which may have compacted) the earlier bytes end here.
        let earlierEnd = buffer.count - borrowed
        while readIndex < earlierEnd {
            // More than `maximumFrameLength` bytes are available, so `take` never says "wait".
            let (advance, frame) = stepBuffer()
            assert(advance > 0)
            readIndex += advance
            _scanState.advance(by: advance)
            if let frame { body(frame) }
        }
        return readIndex - earlierEnd
    }
}
