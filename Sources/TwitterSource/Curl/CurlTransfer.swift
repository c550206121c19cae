import CCurl
import Foundation
import StreamCore

/// One HTTP request over libcurl: the only place in this module with C pointers.
///
/// `perform` blocks its thread until the transfer ends, handing over response bytes as they
/// arrive; use it from a dedicated thread, never from Swift's cooperative pool.
final class CurlTransfer {
    /// What the server answered before the body.
    struct Head {
        var status = 0
        var headers: [String: String] = [:]
    }

    /// How the transfer ended.
    enum End: Equatable {
        case completed
        case stalled
        case cancelled
        case failed(String)
    }

    var url: String
    var method = "GET"
    var headers: [String] = []
    var body: Data?
    var acceptCompressed = true
    /// Abort when no byte arrives for this long (keep-alives count as bytes).
    var stallTimeout: Duration?
    var connectTimeout: Duration = .seconds(10)

    init(url: String) {
        self.url = url
    }

    /// Performs the request. `onHead` runs once the status and headers are in; `onData` with
    /// each piece of the (decompressed) body; `isCancelled` is polled at least every second.
    func perform(onHead: (Head) -> Void, onData: (UnsafeRawBufferPointer) -> Void, isCancelled: () -> Bool) -> End {
        curlGlobalInit
        guard let handle = curl_easy_init() else { return .failed("libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }

        return withoutActuallyEscaping(onHead) { onHead in
            withoutActuallyEscaping(onData) { onData in
                withoutActuallyEscaping(isCancelled) { isCancelled in
                    let context = TransferContext(
                        onHead: onHead, onData: onData, isCancelled: isCancelled, stallTimeout: stallTimeout)
                    let opaque = Unmanaged.passUnretained(context).toOpaque()
                    ccurl_setopt_string(handle, CURLOPT_URL, url)
                    ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
                    ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                    ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout.wholeMilliseconds))
                    if acceptCompressed { ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "") }
                    if method != "GET" { ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) }
                    var payload = body.map { [UInt8]($0) }
                    if payload != nil {
                        ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, payload!.count)
                        payload!.withUnsafeMutableBytes {
                            _ = ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
                        }
                    }
                    ccurl_setopt_header(
                        handle,
                        { data, size, count, opaque in
                            let context = Unmanaged<TransferContext>.fromOpaque(opaque!).takeUnretainedValue()
                            context.header(UnsafeRawBufferPointer(start: data, count: size * count))
                            return size * count
                        }, opaque)
                    ccurl_setopt_write(
                        handle,
                        { data, size, count, opaque in
                            let context = Unmanaged<TransferContext>.fromOpaque(opaque!).takeUnretainedValue()
                            context.data(UnsafeRawBufferPointer(start: data, count: size * count))
                            return size * count
                        }, opaque)
                    ccurl_setopt_progress(
                        handle,
                        { opaque, _, _, _, _ in
                            Unmanaged<TransferContext>.fromOpaque(opaque!).takeUnretainedValue().shouldAbort() ? 1 : 0
                        }, opaque)
                    let code = curl_easy_perform(handle)
                    context.finishHead(status: ccurl_response_code(handle))
                    if context.stalled { return .stalled }
                    if context.cancelled { return .cancelled }
                    guard code == CURLE_OK else { return .failed(String(cString: curl_easy_strerror(code))) }
                    return .completed
                }
            }
        }
    }
}

/// libcurl needs one global initialisation per process, before any thread uses it.
private let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// What the C callbacks reach through their context pointer.
private final class TransferContext {
    let onHead: (CurlTransfer.Head) -> Void
    let onData: (UnsafeRawBufferPointer) -> Void
    let isCancelled: () -> Bool
    let stallTimeout: Duration?
    var head = CurlTransfer.Head()
    var headDelivered = false
    var lastByte = ContinuousClock.now
    var stalled = false
    var cancelled = false

    init(
        onHead: @escaping (CurlTransfer.Head) -> Void, onData: @escaping (UnsafeRawBufferPointer) -> Void,
        isCancelled: @escaping () -> Bool, stallTimeout: Duration?
    ) {
        self.onHead = onHead
        self.onData = onData
        self.isCancelled = isCancelled
        self.stallTimeout = stallTimeout
    }

    func header(_ bytes: UnsafeRawBufferPointer) {
        lastByte = ContinuousClock.now
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            head = CurlTransfer.Head()  // a new response (after a redirect or 100-continue)
            head.status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        } else if let colon = line.firstIndex(of: ":") {
            head.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    func data(_ bytes: UnsafeRawBufferPointer) {
        lastByte = ContinuousClock.now
        finishHead(status: head.status)
        onData(bytes)
    }

    func finishHead(status: Int) {
        guard !headDelivered, status != 0 else { return }
        headDelivered = true
        head.status = status
        onHead(head)
    }

    func shouldAbort() -> Bool {
        if isCancelled() {
            cancelled = true
            return true
        }
        if let stallTimeout, ContinuousClock.now - lastByte > stallTimeout {
            stalled = true
            return true
        }
        return false
    }
}
