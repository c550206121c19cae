import Dispatch
import Foundation

/// Blocks until the process receives SIGINT (Ctrl-C) or SIGTERM: how the long-running helper
/// programs (embedded broker, emulator) wait before shutting down cleanly.
public func waitForTerminationSignal() {
    let received = DispatchSemaphore(value: 0)
    let handlers = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let handler = DispatchSource.makeSignalSource(signal: number, queue: .global())
        handler.setEventHandler { received.signal() }
        handler.resume()
        return handler
    }
    received.wait()
    handlers.forEach { $0.cancel() }
}
