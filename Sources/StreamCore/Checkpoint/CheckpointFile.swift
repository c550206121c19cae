import Foundation

/// The bytes of a checkpoint file: a magic line, a JSON header, then each operator's and
/// source's state as raw bytes, every section with its CRC-32C, so that any corrupted byte
/// is detected and the checkpoint is refused rather than restored wrong.
///
/// ```
/// SWIFTSTREAMING-CHECKPOINT 2\n
/// <header length in bytes> <CRC-32C of the header>\n
/// <header JSON: batch, time, interval, and for each blob its name, length and CRC-32C>
/// <blob bytes, in header order>            (nothing after the last blob)
/// ```
///
/// Version 1 files (no checksums) are still read.
enum CheckpointFile {
    static let magic = "SWIFTSTREAMING-CHECKPOINT"

    private struct Header: Codable {
        var formatVersion: Int
        var batchIndex: Int
        var batchTime: BatchTime
        var zeroTime: BatchTime
        var batchIntervalMilliseconds: Int64
        var operators: [Entry]
        var sources: [Entry]
    }

    private struct Entry: Codable {
        var name: String
        var length: Int
        var crc32c: UInt32?
    }

    static func encode(_ checkpoint: Checkpoint) throws -> Data {
        let operators = checkpoint.operators.sorted { $0.key < $1.key }
        let sources = checkpoint.sources.sorted { $0.key < $1.key }
        let header = try JSONEncoder().encode(
            Header(
                formatVersion: checkpoint.formatVersion, batchIndex: checkpoint.batchIndex, batchTime: checkpoint.batchTime,
                zeroTime: checkpoint.zeroTime, batchIntervalMilliseconds: checkpoint.batchIntervalMilliseconds,
                operators: operators.map { Entry(name: $0.key, length: $0.value.count, crc32c: CRC32C.checksum($0.value)) },
                sources: sources.map { Entry(name: $0.key, length: $0.value.count, crc32c: CRC32C.checksum($0.value)) }))
        var data = Data("\(magic) \(checkpoint.formatVersion)\n\(header.count) \(CRC32C.checksum(header))\n".utf8)
        data.append(header)
        for (_, blob) in operators + sources { data.append(blob) }
        return data
    }

    /// - Throws: `DecodingError`-like `CheckpointFileError` for anything malformed or truncated.
    static func decode(_ data: Data) throws -> Checkpoint {
        var offset = data.startIndex
        func line() throws -> String {
            guard let end = data[offset...].firstIndex(of: 0x0A), end - offset < 64 else {
                throw CheckpointFileError.malformed("header line")
            }
            defer { offset = end + 1 }
            return String(decoding: data[offset..<end], as: UTF8.self)
        }
        let first = try line().split(separator: " ")
        guard first.count == 2, first[0] == magic, let version = Int(first[1]) else {
            throw CheckpointFileError.malformed("not a checkpoint file")
        }
        guard (1...Checkpoint.currentFormatVersion).contains(version) else { throw CheckpointFileError.unknownVersion(version) }
        let lengthLine = try line().split(separator: " ")
        guard lengthLine.count == (version == 1 ? 1 : 2), let headerLength = Int(lengthLine[0]), headerLength >= 0,
            offset + headerLength <= data.endIndex
        else {
            throw CheckpointFileError.malformed("header length")
        }
        let headerBytes = data[offset..<offset + headerLength]
        if version > 1, UInt32(lengthLine[1]) != CRC32C.checksum(headerBytes) {
            throw CheckpointFileError.checksumMismatch("the header")
        }
        let header = try JSONDecoder().decode(Header.self, from: headerBytes)
        guard header.formatVersion == version else { throw CheckpointFileError.malformed("header version") }
        offset += headerLength
        func blobs(_ entries: [Entry]) throws -> [String: Data] {
            var result: [String: Data] = [:]
            for entry in entries {
                guard entry.length >= 0, offset + entry.length <= data.endIndex else {
                    throw CheckpointFileError.malformed("truncated state of \(entry.name)")
                }
                let blob = Data(data[offset..<offset + entry.length])
                if version > 1, entry.crc32c != CRC32C.checksum(blob) {
                    throw CheckpointFileError.checksumMismatch("the state of \(entry.name)")
                }
                result[entry.name] = blob
                offset += entry.length
            }
            return result
        }
        let operators = try blobs(header.operators)
        let sources = try blobs(header.sources)
        guard offset == data.endIndex else { throw CheckpointFileError.malformed("bytes after the last section") }
        return Checkpoint(
            formatVersion: header.formatVersion, batchIndex: header.batchIndex, batchTime: header.batchTime,
            zeroTime: header.zeroTime, batchIntervalMilliseconds: header.batchIntervalMilliseconds,
            operators: operators, sources: sources)
    }
}

enum CheckpointFileError: Error, CustomStringConvertible {
    case malformed(String)
    case unknownVersion(Int)
    case checksumMismatch(String)

    var description: String {
        switch self {
        case .malformed(let what): return "malformed checkpoint (\(what))"
        case .checksumMismatch(let what): return "corrupt checkpoint: the checksum of \(what) does not match"
        case .unknownVersion(let version):
            return "format version \(version); this library reads version \(Checkpoint.currentFormatVersion)"
        }
    }
}
