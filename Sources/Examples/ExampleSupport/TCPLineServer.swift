import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP server on loopback that writes lines to its clients: the peer of
/// `socketTextStream` in demos (`line-server`) and tests.
public final class TCPLineServer: @unchecked Sendable {
    /// The port it is bound to (chosen by the system when created with port 0).
    public let port: Int
    private let listener: Int32

    /// Binds to `host:port`; listens at once unless `listening` is false (then connections
    /// are refused until `listen()`, which lets a test start a client before its server).
    public init(host: String = "127.0.0.1", port: Int = 0, listening: Bool = true) throws {
        let listener = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServerError("socket(): \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            Glibc.close(listener)
            throw ServerError("cannot bind \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        if listening { try listen() }
    }

    /// Starts accepting connections.
    public func listen() throws {
        guard Glibc.listen(listener, 16) == 0 else { throw ServerError("listen(): \(String(cString: strerror(errno)))") }
    }

    /// Waits for the next client.
    public func accept() throws -> Connection {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { throw ServerError("accept(): \(String(cString: strerror(errno)))") }
        return Connection(fd: fd)
    }

    /// On a background thread, accepts one client per entry of `sessions`, writes that
    /// entry's bytes and closes the connection.
    public func serve(_ sessions: [[UInt8]]) {
        let thread = Thread { [self] in
            for bytes in sessions {
                guard let connection = try? accept() else { return }
                try? connection.write(bytes)
                connection.close()
            }
        }
        thread.start()
    }

    /// Stops listening.
    public func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    /// One client connection.
    public final class Connection: @unchecked Sendable {
        private let fd: Int32

        init(fd: Int32) {
            self.fd = fd
        }

        /// Writes all of `bytes`; throws when the client has gone.
        public func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw ServerError("client disconnected") }
                offset += n
            }
        }

        public func write(line: String) throws {
            try write(Array((line + "\n").utf8))
        }

        public func close() {
            shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
        }
    }

    public struct ServerError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
