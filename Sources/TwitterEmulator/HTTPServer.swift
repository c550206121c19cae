import Foundation
import Locking
import LoopbackSockets
#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on loopback for the emulator: one thread per connection, one
/// request per connection, streaming responses written with chunked encoding.
final class HTTPServer: Sendable {
    private let listener: LoopbackListener
    private let connections = Locked<(open: Set<Int32>, closed: Bool)>(([], false))

    init(host: String, port: Int) throws {
        listener = try LoopbackListener(host: host, port: port)
    }

    var port: Int { listener.port }

    /// Accepts connections on a background thread; `handler` runs on each connection's thread.
    func serve(_ handler: @escaping @Sendable (HTTPRequest, HTTPResponse) -> Void) {
        let thread = Thread { [self] in
            while true {
                guard let fd = try? listener.accept() else { return }
                guard track(fd) else { close(fd); return }
                let worker = Thread { [self] in
                    if let request = HTTPRequest.read(from: fd) { handler(request, HTTPResponse(fd: fd)) }
                    untrack(fd)
                    shutdown(fd, Int32(SHUT_RDWR))
                    close(fd)
                }
                worker.start()
            }
        }
        thread.start()
    }

    /// Stops listening and ends every open connection.
    func stop() {
        let open = connections.withLock { connections in
            connections.closed = true
            return connections.open
        }
        listener.close()
        open.forEach { shutdown($0, Int32(SHUT_RDWR)) }
    }

    private func track(_ fd: Int32) -> Bool {
        connections.withLock { connections in
            guard !connections.closed else { return false }
            connections.open.insert(fd)
            return true
        }
    }

    private func untrack(_ fd: Int32) {
        _ = connections.withLock { $0.open.remove(fd) }
    }
}

/// A parsed request.
struct HTTPRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [String: String]
    var body: Data

    /// Reads one request (headers and a `Content-Length` body) from a socket.
    static func read(from fd: Int32) -> HTTPRequest? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0, buffer.count < 1 << 20 else { return nil }
            buffer += chunk[0..<n]
            headerEnd = buffer.indices.dropLast(3).first {
                buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10
            }
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(headerEnd! + 4)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            body += chunk[0..<n]
        }
        let target = String(requestLine[1])
        let parts = target.split(separator: "?", maxSplits: 1)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                query[String(kv[0])] = kv.count == 2 ? String(kv[1]).removingPercentEncoding ?? String(kv[1]) : ""
            }
        }
        return HTTPRequest(
            method: String(requestLine[0]), path: String(parts[0]), query: query, headers: headers, body: Data(body))
    }
}

/// Writes one response: whole, or as a chunked stream.
final class HTTPResponse: Sendable {
    private let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    /// A complete response with a JSON or text body.
    func send(status: Int, headers: [String: String] = [:], body: String) {
        var all = headers
        all["Content-Length"] = String(body.utf8.count)
        all["Connection"] = "close"
        _ = write(head(status, all) + Array(body.utf8))
    }

    /// Starts a chunked response.
    func startStream(status: Int, headers: [String: String]) -> Bool {
        var all = headers
        all["Transfer-Encoding"] = "chunked"
        return write(head(status, all))
    }

    /// Writes one chunk; false once the client has gone.
    func chunk(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        return write(Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10])
    }

    /// Ends the chunked body.
    func endStream() {
        _ = write(Array("0\r\n\r\n".utf8))
    }

    private func head(_ status: Int, _ headers: [String: String]) -> [UInt8] {
        let reason =
            [
                200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                409: "Conflict", 429: "Too Many Requests", 503: "Service Unavailable",
            ][status] ?? "Status"
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        sendAll(bytes, to: fd)
    }
}
