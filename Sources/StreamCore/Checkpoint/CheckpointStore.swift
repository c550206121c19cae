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

    /// The newest checkpoint that reads back intact, or nil if there is none.
    ///
    /// A newer file that is corrupt (its checksums fail, it is truncated) is skipped for the
    /// one before it, which holds state and source positions of an earlier batch that agree
    /// with each other, so a restore from it loses and doubles nothing; `onSkipped` hears of
    /// every file skipped and why.
    /// - Throws: `StreamingError.checkpointIO` when checkpoint files exist but none is
    ///   readable (a format version this library does not know counts as unreadable: a
    ///   corrupted version digit looks the same).
    public func latest(onSkipped: (_ path: String, _ reason: String) -> Void = { _, _ in }) throws -> Checkpoint? {
        var problems: [String] = []
        for file in try checkpointFiles().reversed() {
            do {
                return try CheckpointFile.decode(Data(contentsOf: file))
            } catch {
                onSkipped(file.path, "\(error)")
                problems.append("\(file.lastPathComponent): \(error)")
            }
        }
        guard problems.isEmpty else {
            throw StreamingError.checkpointIO(
                path: directory.path,
                reason: "unreadable checkpoint, and no older one to fall back on (\(problems.joined(separator: "; "))); "
                    + "move the directory away to start afresh")
        }
        return nil
    }

    /// Checkpoint files, oldest first (names sort by batch time). Other files (an editor's
    /// backup, a temporary file) are not checkpoints and are ignored.
    private func checkpointFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter(Self.isCheckpointName)
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// `checkpoint-` and 20 digits, as `write` names them.
    static func isCheckpointName(_ name: String) -> Bool {
        let digits = name.utf8.dropFirst("checkpoint-".utf8.count)
        return name.hasPrefix("checkpoint-") && digits.count == 20 && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private func syncDirectory() {
        let fd = open(directory.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
