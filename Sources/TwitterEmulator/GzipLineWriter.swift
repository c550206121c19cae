import CZlib

/// Gzip-compresses a stream line by line, flushing after each line so that a client can
/// decode every post as soon as it arrives (as the API's gzip does).
final class GzipLineWriter {
    private var stream = z_stream()
    private var finished = false

    init() {
        deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
    }

    deinit {
        deflateEnd(&stream)
    }

    /// The compressed bytes of `input`, flushed.
    func compress(_ input: [UInt8]) -> [UInt8] {
        var input = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    deflate(&stream, Z_SYNC_FLUSH)
                    output += target[0..<(target.count - Int(stream.avail_out))]
                }
            } while stream.avail_out == 0
        }
        return output
    }
}
