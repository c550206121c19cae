import Foundation
import LoopbackSockets
#if canImport(Glibc)
    import Glibc
#endif

/// A TCP server on loopback that writes lines to its clients: the peer of
/// `socketTextStream` in demos (`line-server`) and tests.
public final class TCPLineServer: Sendable {
    private let listener: LoopbackListener

    /// Binds to `host:port`; listens at once unless `listening` is false (then connections
    /// are refused until `listen()`, which lets a test start a client before its server).
    public init(host: String = "127.0.0.1", port: Int = 0, listening: Bool = true) throws {
        listener = try LoopbackListener(host: host, port: port, listening: listening)
    }

    /// The port it is bound to (chosen by the system when created with port 0).
    public var port: Int { listener.port }

    /// Starts accepting connections.
    public func listen() throws {
        try listener.listen()
    }

    /// Waits for the next client.
    public func accept() throws -> Connection {
        Connection(fd: try listener.accept())
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
        listener.close()
    }

    /// One client connection.
    public final class Connection: Sendable {
        private let fd: Int32

        init(fd: Int32) {
            self.fd = fd
        }

        /// Writes all of `bytes`; throws when the client has gone.
        public func write(_ bytes: [UInt8]) throws {
            guard sendAll(bytes, to: fd) else { throw ConnectionClosed() }
        }

        public func write(line: String) throws {
            try write(Array((line + "\n").utf8))
        }

        public func close() {
            shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
        }
    }

    /// The client went away.
    public struct ConnectionClosed: Error, CustomStringConvertible {
        public var description: String { "client disconnected" }
    }
}
