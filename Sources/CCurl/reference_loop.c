#include "ccurl_reference.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

/* The response body is read and dropped. */
static size_t discard(char *data, size_t size, size_t count, void *context) {
    (void)data;
    (void)context;
    return size * count;
}

/* The header list as one block of nodes pointing at the caller's lines (curl neither frees nor changes it). */
static struct curl_slist *header_list(const ccurl_reference_request *request) {
    if (request->header_line_count == 0) return NULL;
    struct curl_slist *nodes = calloc(request->header_line_count, sizeof(struct curl_slist));
    if (!nodes) return NULL;
    for (size_t index = 0; index < request->header_line_count; index++) {
        nodes[index].data = (char *)request->header_lines[index];
        nodes[index].next = index + 1 < request->header_line_count ? &nodes[index + 1] : NULL;
    }
    return nodes;
}

/* The options CurlTransport sets on a pooled handle (makeHandle) and per request (start), for this request. */
static CURL *make_handle(const ccurl_reference_request *request, struct curl_slist *headers) {
    CURL *easy = curl_easy_init();
    if (!easy) return NULL;
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, request->user_agent);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_URL, request->url);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, request->timeout_ms);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, request->timeout_ms);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request->body);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    return easy;
}

static void count(CURL *easy, CURLcode code, ccurl_reference_result *result) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_OK && status == 200) {
        result->completed++;
    } else {
        result->failed++;
    }
}

int ccurl_reference_easy(const ccurl_reference_request *request, double seconds, ccurl_reference_result *result) {
    result->completed = result->failed = 0;
    result->seconds = 0;
    struct curl_slist *headers = header_list(request);
    CURL *easy = make_handle(request, headers);
    if (!easy) {
        free(headers);
        return -1;
    }
    double start = now_seconds(), now = start;
    while (now - start < seconds) {
        count(easy, curl_easy_perform(easy), result);
        now = now_seconds();
    }
    result->seconds = now - start;
    curl_easy_cleanup(easy);
    free(headers);
    return 0;
}

int ccurl_reference_multi(const ccurl_reference_request *request, int concurrency, double seconds,
                          ccurl_reference_result *result) {
    result->completed = result->failed = 0;
    result->seconds = 0;
    if (concurrency < 1) return -1;
    struct curl_slist *headers = header_list(request);
    CURLM *multi = curl_multi_init();
    CURL **handles = calloc((size_t)concurrency, sizeof(CURL *));
    int status = multi && handles ? 0 : -1;
    for (int index = 0; status == 0 && index < concurrency; index++) {
        handles[index] = make_handle(request, headers);
        if (!handles[index]) status = -1;
    }
    if (status == 0) {
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 64L);
        for (int index = 0; index < concurrency; index++) curl_multi_add_handle(multi, handles[index]);
        double start = now_seconds(), now = start;
        int running = concurrency;
        while (running > 0) {
            curl_multi_perform(multi, &running);
            CURLMsg *message;
            int remaining;
            now = now_seconds();
            while ((message = curl_multi_info_read(multi, &remaining))) {
                if (message->msg != CURLMSG_DONE) continue;
                CURL *easy = message->easy_handle;
                count(easy, message->data.result, result);
                curl_multi_remove_handle(multi, easy);
                if (now - start < seconds) {
                    curl_multi_add_handle(multi, easy);
                    running++;
                }
            }
            if (running > 0) curl_multi_poll(multi, NULL, 0, 1000, NULL);
        }
        result->seconds = now_seconds() - start;
    }
    for (int index = 0; handles && index < concurrency; index++) {
        if (handles[index]) curl_easy_cleanup(handles[index]);
    }
    free(handles);
    if (multi) curl_multi_cleanup(multi);
    free(headers);
    return status;
}
