import Foundation
#if canImport(Glibc)
    import Glibc
#endif

extension DStream {
    /// Writes every batch to the file `<prefix>-<batch ms>[.<suffix>]`, one record per line,
    /// atomically (written aside, then renamed), so readers never see half a batch and a
    /// re-run batch replaces its file. Empty batches write empty files.
    public func saveAsTextFiles(prefix: String, suffix: String? = nil) throws {
        try foreachBatch(name: "saveAsTextFiles") { batch, time in
            let path = "\(prefix)-\(time.milliseconds)" + (suffix.map { ".\($0)" } ?? "")
            let final = URL(fileURLWithPath: path)
            let temporary = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).tmp")
            var text = ""
            for record in batch.records { text += ConsoleFormat.describe(record) + "\n" }
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, final.path) == 0 else {
                throw StreamingError.invalidArgument(
                    name: "saveAsTextFiles", reason: "cannot rename into \(final.path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
