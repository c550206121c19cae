import CCurl

/// The X API v2 stream for StreamCore, on libcurl. The client, emulator and tweet model are
/// being built (see the TwitterSource issue); today this module links libcurl.
public enum TwitterSource {
    /// libcurl's version line, e.g. "libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13".
    public static var libcurlVersion: String { String(cString: curl_version()) }
}
