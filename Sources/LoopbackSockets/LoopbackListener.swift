import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket for the servers the examples and tests run on loopback (the line
/// server, the X API emulator), so they share one careful implementation.
public final class LoopbackListener: Sendable {
    /// The port it is bound to (chosen by the system when created with port 0).
    public let port: Int
    /// The IPv4 address it is bound to, e.g. `127.0.0.1`.
    public let address: String
    private let descriptor: Int32

    /// Binds to `host:port`; listens at once unless `listening` is false (then connections are
    /// refused until `listen()`, which lets a test start a client before its server).
    /// - Parameter host: an IPv4 address, or a name that resolves to one (`localhost`); it is
    ///   bound exactly, so `localhost` stays loopback. `0.0.0.0` exposes the server.
    /// - Throws: `SocketError` when `host` is neither.
    public init(host: String, port: Int, listening: Bool = true) throws {
        let ipv4 = try Self.resolve(host)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket(): \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = ipv4
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
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
        var text = [UInt8](repeating: 0, count: Int(INET_ADDRSTRLEN))
        text.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                _ = inet_ntop(AF_INET, &address.sin_addr, $0.baseAddress, socklen_t($0.count))
            }
        }
        self.address = String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
        if listening { try listen() }
    }

    /// The IPv4 address of `host`: a numeric address as it is, a name through the resolver.
    private static func resolve(_ host: String) throws -> in_addr {
        var numeric = in_addr()
        if inet_pton(AF_INET, host, &numeric) == 1 { return numeric }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard status == 0, let first = list, let socketAddress = first.pointee.ai_addr else {
            throw SocketError(
                "cannot listen on '\(host)': not an IPv4 address or a name with one (\(String(cString: gai_strerror(status))))")
        }
        return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
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
