from uuid import uuid4

from microcosm.api import binding, defaults, required


@binding("order_store")
@defaults(base_url=required(str, mock_value="http://orders.test"))
class OrderStore:
    """The orders and their state: a stand-in for the database or service at order_store.base_url."""

    def __init__(self, graph):
        self.base_url = graph.config.order_store.base_url
        self.statuses = {}  # order URI: "created", "shipping", "shipped"

    def new_uri(self):
        return f"{self.base_url}/orders/{uuid4()}"

    def save(self, order):
        if order["total"] <= 0:
            raise ValueError(f"order {order['uri']}: the total must be positive, got {order['total']}")
        self.statuses[order["uri"]] = "created"

    def ship(self, uri):
        if self.statuses.get(uri) != "created":
            raise ValueError(f"order {uri} cannot ship: it is {self.statuses.get(uri, 'unknown')}")
        self.statuses[uri] = "shipping"
        return f"TRK-{len(self.statuses)}"

    def record_shipment(self, uri):
        if self.statuses.get(uri) != "shipping":
            return False
        self.statuses[uri] = "shipped"
        return True
