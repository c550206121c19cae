import CZlib

/// How pages are compressed.
public enum ParquetCompression: Sendable, Hashable {
    case uncompressed
    /// gzip (RFC 1952) through zlib, at `level` 1…9.
    case gzip(level: Int32 = 6)

    /// Parquet's `CompressionCodec` number.
    var codec: Int32 {
        switch self {
        case .uncompressed: 0
        case .gzip: 2
        }
    }

    func compress(_ bytes: [UInt8]) -> [UInt8] {
        guard case .gzip(let level) = self else { return bytes }
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib could not start a gzip stream (\(status))")
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let (result, written) = Self.finish(&stream, from: bytes, into: &out, with: deflate)
        precondition(result == Z_STREAM_END, "zlib did not finish a bounded buffer (\(result))")
        out.removeLast(out.count - written)
        return out
    }
}

extension ParquetCompression {
    /// The page body that `compress` (or another writer, with the same codec) produced.
    /// - Throws: `ParquetFormatError` for a codec this module does not read, or bytes that do not
    ///   inflate to exactly `size` bytes.
    static func decompress(_ bytes: ArraySlice<UInt8>, codec: Int32, size: Int) throws -> [UInt8] {
        switch codec {
        case 0: return Array(bytes)
        case 2: break
        default: throw ParquetFormatError("compression codec \(codec) is not supported (only none and gzip)")
        }
        guard size >= 0 else { throw ParquetFormatError("negative page size") }
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetFormatError("zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: size)
        let (result, written) = finish(&stream, from: Array(bytes), into: &out, with: inflate)
        guard result == Z_STREAM_END, written == size else {
            throw ParquetFormatError("a gzip page does not inflate to its \(size) bytes")
        }
        return out
    }

    /// Runs `step` (deflate or inflate) once with `Z_FINISH` from `input` into `out`: the
    /// result code and the bytes written.
    private static func finish(
        _ stream: inout z_stream, from input: [UInt8], into out: inout [UInt8],
        with step: (UnsafeMutablePointer<z_stream>, Int32) -> Int32
    ) -> (Int32, Int) {
        var input = input
        return input.withUnsafeMutableBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                let result = step(&stream, Z_FINISH)
                return (result, target.count - Int(stream.avail_out))
            }
        }
    }
}
