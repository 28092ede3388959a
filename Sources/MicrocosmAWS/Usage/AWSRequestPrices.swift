/// Request prices in US dollars per million billed requests, by ``AWSBillingClass``, and the date
/// they were published, for ``AWSUsage/estimatedCost(prices:)``.
///
/// ``published`` holds AWS's public list prices for us-east-1 as of June 2026, first volume tier,
/// free tier (the first million requests a month) ignored:
///
/// | class | USD per million requests | what it covers |
/// |---|---|---|
/// | SQS | 0.40 | standard queues; FIFO queues' actions other than messages' |
/// | SQS FIFO | 0.50 | send, receive, delete, change visibility on FIFO queues |
/// | SNS | 0.50 | publishes to standard topics and other SNS API requests |
/// | SNS FIFO | 0.30 | publishes to FIFO topics (their $0.017 per GB of payload is not included) |
///
/// Each 64 KiB chunk of a request's payload is billed as one request. SNS delivery to SQS queues
/// is free; data transfer is not counted. Pass prices of your own for another region or a newer list:
///
/// ```swift
/// let prices = AWSRequestPrices(asOf: "2027-01", region: "eu-west-1", perMillion: [.sqs: 0.44, .sns: 0.55])
/// let dollars = meter.usage.estimatedCost(prices: prices)
/// ```
public struct AWSRequestPrices: Sendable, Hashable {
    /// When the prices were published, `YYYY-MM`.
    public var asOf: String
    /// The region they are for.
    public var region: String
    /// USD per million billed requests; a class not listed is priced at 0.
    public var perMillion: [AWSBillingClass: Double]

    /// Prices of `region` as of `asOf`.
    public init(asOf: String, region: String, perMillion: [AWSBillingClass: Double]) {
        self.asOf = asOf
        self.region = region
        self.perMillion = perMillion
    }

    /// AWS's public list prices, us-east-1, June 2026 (see the table above).
    public static let published = AWSRequestPrices(asOf: "2026-06", region: "us-east-1",
                                                   perMillion: [.sqs: 0.40, .sqsFIFO: 0.50, .sns: 0.50, .snsFIFO: 0.30])

    /// The price of one billed request of `billingClass`, in USD.
    public func price(of billingClass: AWSBillingClass) -> Double {
        (perMillion[billingClass] ?? 0) / 1_000_000
    }
}
