import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket for the servers the examples and tests run on loopback (the line
/// server, the X API emulator), so they share one careful implementation.
public final class LoopbackListener: @unchecked Sendable {
    /// The port it is bound to (chosen by the system when created with port 0).
    public let port: Int
    private let descriptor: Int32

    /// Binds to `host:port`; listens at once unless `listening` is false (then connections are
    /// refused until `listen()`, which lets a test start a client before its server).
    public init(host: String, port: Int, listening: Bool = true) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket(): \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            Glibc.close(descriptor)
            throw SocketError("cannot bind \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
        if listening { try listen() }
    }

    /// Starts accepting connections.
    public func listen() throws {
        guard Glibc.listen(descriptor, 64) == 0 else { throw SocketError("listen(): \(String(cString: strerror(errno)))") }
    }

    /// Waits for the next client and returns its socket.
    public func accept() throws -> Int32 {
        let client = Glibc.accept(descriptor, nil, nil)
        guard client >= 0 else { throw SocketError("accept(): \(String(cString: strerror(errno)))") }
        return client
    }

    /// Stops listening (a blocked `accept` then throws).
    public func close() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        Glibc.close(descriptor)
    }
}

/// Writes all of `bytes` to a socket; false once the peer has gone.
public func sendAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { return false }
        offset += n
    }
    return true
}

/// A socket call that failed, with the system's reason.
public struct SocketError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
