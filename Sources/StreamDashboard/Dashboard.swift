import Foundation
import Hummingbird
import Locking
import Logging
import NIOCore
import ServiceLifecycle

/// A live web page for pipelines: streams publish charts to it (`publish(to:as:)`) and
/// register SQL views (`createOrReplaceTempView(_:in:columns:)`); open pages update over
/// Server-Sent Events without a reload.
///
/// Endpoints: `/` the page, `/api/events` the event stream, `/api/snapshot` every panel as
/// JSON, `/api/sql?q=` read-only SQL over the views (`{"columns":[…],"rows":[[…]…]}`, HTTP 400
/// for a query that would write or is invalid), `/health`.
///
/// ```swift
/// let dashboard = try Dashboard(title: "Hashtags")
/// top10.publish(to: dashboard, as: .bars("Top hashtags"))
/// let url = try await dashboard.start()          // http://127.0.0.1:PORT/
/// ```
public final class Dashboard: Sendable {
    /// The page's heading.
    public let title: String
    /// The SQL views pages can query.
    public let views: SQLViews
    let hub: EventHub
    private let server = Locked<(group: ServiceGroup, task: Task<Void, any Error>)?>(nil)

    /// A dashboard that serves nothing until `start`.
    /// - Parameters:
    ///   - title: the page's heading.
    ///   - queueLimit: events a page may have pending; a page further behind is disconnected
    ///     (its browser reconnects) so that publishing never waits.
    ///   - rowLimit: the most rows one SQL answer holds.
    ///   - queryTimeLimit: how long one SQL query may run.
    public init(
        title: String = "Stream dashboard", queueLimit: Int = 256, rowLimit: Int = 1000, queryTimeLimit: Duration = .seconds(2)
    ) throws {
        self.title = title
        hub = EventHub(queueLimit: queueLimit)
        views = try SQLViews(rowLimit: rowLimit, timeLimit: queryTimeLimit)
    }

    /// Starts serving; returns the page's address once the port is bound.
    /// - Parameters:
    ///   - host: the address to bind; the default keeps the page on this machine.
    ///   - port: 0 picks a free port.
    /// - Throws: `DashboardError` if it is already serving, or the address cannot be bound.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> URL {
        guard server.withLock({ $0 == nil }) else { throw DashboardError(description: "the dashboard is already serving") }
        let bound = AsyncStream.makeStream(of: Int?.self)
        var logger = Logger(label: "StreamDashboard")
        logger.logLevel = .warning
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                bound.continuation.yield(channel.localAddress?.port)
                bound.continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            defer { bound.continuation.finish() }
            try await group.run()
        }
        server.withLock { $0 = (group, task) }
        var ports = bound.stream.makeAsyncIterator()
        guard let port = await ports.next() ?? nil else {
            try await task.value  // the server failed: its error says why
            throw DashboardError(description: "the dashboard server stopped before listening on \(host):\(port)")
        }
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return URL(string: "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)/")!
    }

    /// Stops serving: open pages are disconnected, then the server shuts down gracefully.
    public func stop() async {
        hub.disconnectAll()
        let running = server.withLock { server in
            defer { server = nil }
            return server
        }
        guard let running else { return }
        await running.group.triggerGracefulShutdown()
        _ = try? await running.task.value
    }

    /// Pages connected now, pages dropped for falling behind, and panel updates so far.
    public var health: (clients: Int, droppedClients: Int, updates: Int) { hub.counts }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        let page = Self.resource("dashboard.html").replacingOccurrences(of: "{{title}}", with: Self.escapedHTML(title))
        let script = Self.resource("dashboard.js")
        router.get("/") { _, _ in
            Self.response(page, type: "text/html; charset=utf-8")
        }
        router.get("/dashboard.js") { _, _ in
            Self.response(script, type: "text/javascript; charset=utf-8")
        }
        router.get("/health") { [hub] _, _ in
            let (clients, dropped, updates) = hub.counts
            return Self.response(#"{"status":"ok","clients":\#(clients),"droppedClients":\#(dropped),"updates":\#(updates)}"#)
        }
        router.get("/api/snapshot") { [hub, title] _, _ in
            Self.response("{\"title\":" + JSONText.string(title) + "," + hub.snapshot.dropFirst())
        }
        router.get("/api/events") { [hub] _, _ in
            let events = hub.connect()
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    for await event in events { try await writer.write(ByteBuffer(string: event)) }
                    try await writer.finish(nil)
                })
        }
        router.get("/api/sql") { [views] request, _ in
            guard let query = request.uri.queryParameters.get("q"), !query.isEmpty else {
                return Self.response(#"{"error":"missing query parameter q"}"#, status: .badRequest)
            }
            let result = await Self.offEventLoop { Result { try views.query(String(query)) } }
            switch result {
            case .success(let answer): return Self.response(Self.json(answer))
            case .failure(let error as SQLViews.QueryError):
                return Self.response(
                    "{\"error\":" + JSONText.string(error.description) + "}",
                    status: error.isClientError ? .badRequest : .internalServerError)
            case .failure(let error):
                return Self.response("{\"error\":" + JSONText.string("\(error)") + "}", status: .internalServerError)
            }
        }
        return router
    }

    private static func response(_ text: String, type: String = "application/json", status: HTTPResponse.Status = .ok) -> Response
    {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        // Scripts come only from this server: text that slipped into the DOM as HTML could not run.
        headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// SQLite blocks: queries run on a dispatch thread, not on the server's event loop.
    private static func offEventLoop<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    static func json(_ answer: SQLViews.Answer) -> String {
        let columns = answer.columns.map(JSONText.string).joined(separator: ",")
        let rows = answer.rows.map { row in
            "["
                + row.map { value in
                    switch value {
                    case .null: "null"
                    case .integer(let number): String(number)
                    case .real(let number): JSONText.number(number)
                    case .text(let text): JSONText.string(text)
                    }
                }.joined(separator: ",") + "]"
        }.joined(separator: ",")
        return "{\"columns\":[\(columns)],\"rows\":[\(rows)],\"truncated\":\(answer.truncated)}"
    }

    private static func resource(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("StreamDashboard's resource \(name) is missing from the bundle")
        }
        return text
    }

    private static func escapedHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// The dashboard could not start.
public struct DashboardError: Error, CustomStringConvertible {
    /// Why, for the user.
    public let description: String
}
