import Foundation

/// Where a table's files live. Local disk implements it here; HDFS and S3 would implement the
/// same five operations (S3 gets `createIfAbsent` from a conditional `PUT` with
/// `If-None-Match: *`, HDFS from `create(overwrite: false)`), which is all a Delta log needs.
public protocol TableStorage: Sendable {
    /// Writes a new file at `path` (relative to the table): `fill` writes it at the local path
    /// it is given; storage that is not local uploads that file afterwards.
    func writeFile(at path: String, _ fill: (String) throws -> Void) throws -> Int
    /// Creates `path` holding `bytes` only if nothing is there; false if something is (the
    /// atomic step of a commit).
    func createIfAbsent(_ path: String, bytes: [UInt8]) throws -> Bool
    /// The bytes of `path`.
    func read(_ path: String) throws -> Data
    /// The names of the files in `directory` (empty when it does not exist).
    func list(_ directory: String) throws -> [String]
    /// Removes `path`.
    func remove(_ path: String) throws
    /// Every file under the table, as paths relative to it, with when each was last written.
    func allFiles() throws -> [(path: String, modified: Date)]
}

/// A table on this machine's disk, under `root`.
public struct LocalStorage: TableStorage {
    /// The table's directory.
    public let root: String

    /// Storage under `root` (created when a file is first written).
    public init(root: String) {
        self.root = root
    }

    public func writeFile(at path: String, _ fill: (String) throws -> Void) throws -> Int {
        let full = try prepare(path)
        try fill(full)
        return (try FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
    }

    public func createIfAbsent(_ path: String, bytes: [UInt8]) throws -> Bool {
        // Written beside, then hard-linked into place: link(2) fails if the name exists, and
        // readers never see a half-written commit.
        let full = try prepare(path)
        let temporary = full + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw StorageError(description: "cannot write \(temporary)")
        }
        defer { unlink(temporary) }
        if link(temporary, full) == 0 { return true }
        if errno == EEXIST { return false }
        throw StorageError(description: "cannot create \(full): \(String(cString: strerror(errno)))")
    }

    public func read(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
    }

    public func list(_ directory: String) throws -> [String] {
        let full = root + "/" + directory
        guard FileManager.default.fileExists(atPath: full) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: full)
    }

    public func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: root + "/" + path)
    }

    public func allFiles() throws -> [(path: String, modified: Date)] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [(path: String, modified: Date)] = []
        while let path = walker.nextObject() as? String {
            guard walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular else { continue }
            files.append((path, walker.fileAttributes?[.modificationDate] as? Date ?? .distantPast))
        }
        return files
    }

    private func prepare(_ path: String) throws -> String {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return full
    }
}

/// A file operation failed.
public struct StorageError: Error, CustomStringConvertible {
    /// What failed, with the path.
    public let description: String
}
