import ArgumentParser
import Foundation
import StreamCore

/// `--dead-letter PATH`: records a pipeline refused, appended as JSON lines
/// `{"time":<ms>,"kind":"malformed","reason":"…","record":"…"}`, so none is lost.
public final class DeadLetterFile: Sendable {
    private let handle: FileHandle

    /// Opens (creating if needed) `path` for appending.
    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw RecordFileError(description: "cannot create the dead-letter file \(path)")
            }
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
        } catch {
            throw RecordFileError(description: "cannot open the dead-letter file \(path): \(error)")
        }
    }

    /// Appends one batch's refused records with one write; a failed write fails the batch.
    public func write(_ rejected: [UnparsedRecord<String>], time: BatchTime) throws {
        var bytes: [UInt8] = []
        for entry in rejected {
            bytes.append(contentsOf: #"{"time":\#(time.milliseconds),"kind":"#.utf8)
            JSONLines.appendString(entry.rejection.kind, to: &bytes)
            bytes.append(contentsOf: #","reason":"#.utf8)
            JSONLines.appendString(entry.rejection.reason, to: &bytes)
            bytes.append(contentsOf: #","record":"#.utf8)
            JSONLines.appendString(entry.record, to: &bytes)
            bytes.append(contentsOf: "}\n".utf8)
        }
        try handle.write(contentsOf: bytes)
    }
}

/// `--dead-letter PATH`, for the programs that parse records.
public struct DeadLetterOption: ParsableArguments {
    @Option(
        help: ArgumentHelp("Append records that are not tweets to this file as JSON lines, with the reason.", valueName: "path"))
    public var deadLetter: String?

    public init() {}

    /// What `DStream.parse` calls with refused records: appends them to the file; nil without
    /// the flag (refusals are then logged as warnings).
    public func writer() throws -> (@Sendable ([UnparsedRecord<String>], BatchTime) throws -> Void)? {
        guard let deadLetter else { return nil }
        let file = try DeadLetterFile(path: deadLetter)
        return { rejected, time in try file.write(rejected, time: time) }
    }
}
