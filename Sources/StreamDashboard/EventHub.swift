import Locking

/// The open pages and the latest state of every panel.
///
/// Publishing never waits for a page: each page has a bounded queue of events, and a page
/// whose queue is full (slow, or gone without closing) is disconnected and counted; its
/// browser reconnects and starts again from a snapshot.
final class EventHub: Sendable {
    private struct State {
        var panels: [String: PanelState] = [:]
        var order: [String] = []
        var clients: [Int: AsyncStream<String>.Continuation] = [:]
        var nextClient = 0
        var droppedClients = 0
        var updates = 0
    }

    private let state = Locked(State())
    /// Events a page may have pending before it is dropped.
    let queueLimit: Int

    init(queueLimit: Int = 256) {
        self.queueLimit = queueLimit
    }

    /// Changes a panel and sends its new state to every page.
    func update(_ chart: Chart, _ change: (inout PanelState) -> Void) {
        let dropped = state.withLock { state in
            if state.panels[chart.id] == nil {
                state.panels[chart.id] = PanelState(chart: chart)
                state.order.append(chart.id)
            }
            change(&state.panels[chart.id]!)
            state.updates += 1
            let event = Self.event(state.panels[chart.id]!.json)
            var dropped: [AsyncStream<String>.Continuation] = []
            for (id, client) in state.clients {
                if case .dropped = client.yield(event) {
                    state.clients[id] = nil
                    state.droppedClients += 1
                    dropped.append(client)
                }
            }
            return dropped
        }
        // Outside the lock: finishing runs the stream's termination handler, which takes it.
        for client in dropped { client.finish() }
    }

    /// A new page's events: first every panel as it is now, then each update.
    func connect() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(queueLimit))
        let id = state.withLock { state in
            defer { state.nextClient += 1 }
            state.clients[state.nextClient] = continuation
            for panel in state.order { continuation.yield(Self.event(state.panels[panel]!.json)) }
            return state.nextClient
        }
        continuation.onTermination = { [weak self] _ in self?.disconnect(id) }
        return stream
    }

    private func disconnect(_ id: Int) {
        state.withLock { _ = $0.clients.removeValue(forKey: id) }
    }

    /// Every panel, in the order they first published: `{"panels":[…]}`.
    var snapshot: String {
        state.withLock { state in
            "{\"panels\":[" + state.order.map { state.panels[$0]!.json }.joined(separator: ",") + "]}"
        }
    }

    /// Pages connected now, pages dropped for falling behind, and panel updates so far.
    var counts: (clients: Int, droppedClients: Int, updates: Int) {
        state.withLock { ($0.clients.count, $0.droppedClients, $0.updates) }
    }

    /// Ends every page's stream (the server is stopping).
    func disconnectAll() {
        let clients = state.withLock { state in
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients { client.finish() }
    }

    /// One Server-Sent Event: a `data:` line (JSON has no raw newlines) and a blank line.
    private static func event(_ json: String) -> String {
        "data: " + json + "\n\n"
    }
}
