import MicrocosmPubSub

/// An order was placed: `application/vnd.globality.pubsub._.created.order`.
struct OrderCreated: PubSubMessage {
    static let mediaType = MediaType.created("Order")
    var uri: String
    var customerEmail: String              // "customer_email" on the wire
    var total: Double
}

/// An order left the warehouse.
struct OrderShipped: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.order"
    var uri: String
    var carrier: String
    var trackingNumber: String             // "tracking_number"
}
