import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checkpoints on a local directory: each is written to a temporary file, flushed to disk and
/// renamed into place, so a crash leaves either the old or the new checkpoint, never half of one.
/// The newest `retained` checkpoints are kept.
public struct CheckpointStore: Sendable {
    /// The directory holding `checkpoint-<batch ms>` files.
    public let directory: URL
    /// How many checkpoints to keep.
    public let retained: Int

    /// Creates the directory if needed.
    /// - Throws: `StreamingError.checkpointIO` if it cannot be created.
    public init(directory: String, retained: Int = 3) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.retained = max(1, retained)
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw StreamingError.checkpointIO(path: directory, reason: "cannot create the directory: \(error)")
        }
    }

    /// Durably writes `checkpoint`, then removes all but the newest `retained`.
    func write(_ checkpoint: Checkpoint) throws {
        let name = String(format: "checkpoint-%020lld", checkpoint.batchTime.milliseconds)
        let final = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).tmp")
        let data = try CheckpointFile.encode(checkpoint)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw StreamingError.checkpointIO(path: temporary.path, reason: "cannot create the file")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw StreamingError.checkpointIO(path: temporary.path, reason: "\(error)")
        }
        guard rename(temporary.path, final.path) == 0 else {
            throw StreamingError.checkpointIO(path: final.path, reason: "rename failed: \(String(cString: strerror(errno)))")
        }
        syncDirectory()
        for old in try checkpointFiles().dropLast(retained) {
            try? FileManager.default.removeItem(at: old)
        }
    }

    /// The newest checkpoint, or nil if there is none.
    /// - Throws: `StreamingError.checkpointIO` if the newest file cannot be read or decoded, or
    ///   has a format version this library does not know.
    public func latest() throws -> Checkpoint? {
        guard let newest = try checkpointFiles().last else { return nil }
        do {
            return try CheckpointFile.decode(Data(contentsOf: newest))
        } catch {
            throw StreamingError.checkpointIO(path: newest.path, reason: "unreadable checkpoint: \(error)")
        }
    }

    /// Checkpoint files, oldest first (names sort by batch time).
    private func checkpointFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("checkpoint-") && !$0.hasSuffix(".tmp") }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    private func syncDirectory() {
        let fd = open(directory.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
