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
