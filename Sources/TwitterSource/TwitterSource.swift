import CCurl

/// The X API v2 stream for StreamCore, on libcurl. The client, emulator and tweet model are
/// being built (see the TwitterSource issue); today this module links libcurl.
public enum TwitterSource {
    /// The version of the libcurl the process runs with, e.g. "7.88.1".
    public static var libcurlVersion: String {
        String(cString: curl_version_info(CURLVERSION_NOW).pointee.version)
    }
}
