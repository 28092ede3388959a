#ifndef CCURL_REFERENCE_H
#define CCURL_REFERENCE_H

#include <stddef.h>

/* Reference loops for `pubsub-bench transport`: plain C on libcurl sending one fixed request again and again,
   with the options CurlTransport sets on its handles, so the bench can show how close the Swift transport
   comes to what libcurl itself allows on the same machine. */

/* The request to send: a POST of `body` to `url` with the given header lines ("Name: value", as CurlTransport
   writes them, "Expect:" included), and the User-Agent CurlTransport sends. */
typedef struct {
    const char *url;
    const char *const *header_lines;
    size_t header_line_count;
    const char *user_agent;
    const void *body;
    size_t body_length;
    long timeout_ms;
} ccurl_reference_request;

/* What a loop did: transfers answered 200, transfers that failed or got another status, and the wall time. */
typedef struct {
    long completed;
    long failed;
    double seconds;
} ccurl_reference_result;

/* One easy handle and curl_easy_perform, one request after the other, for `seconds`.
   Returns 0, or -1 when curl could not be set up. */
int ccurl_reference_easy(const ccurl_reference_request *request, double seconds, ccurl_reference_result *result);

/* `concurrency` easy handles on one multi handle (curl_multi_perform and curl_multi_poll), each added again as
   soon as its transfer ends, until `seconds` have passed; transfers in flight then are finished and counted.
   Returns 0, or -1 when curl could not be set up. */
int ccurl_reference_multi(const ccurl_reference_request *request, int concurrency, double seconds,
                          ccurl_reference_result *result);

#endif
