from hamcrest import assert_that, calling, equal_to, has_entries, has_properties, raises
from microcosm.api import create_object_graph, load_each, load_from_dict, load_from_environ
from microcosm.errors import ValidationError
from microcosm.loaders import load_from_json_file
from microcosm_pubsub.matchers import published, published_nothing

from orders.messages import OrderCreatedSchema
import orders.api  # noqa: binds order_api

TOPICS = dict(sns_topic_arns=dict(default="arn:aws:sns:us-east-1:123456789012:orders"))


class TestOrderAPI:
    def setup_method(self):
        self.graph = create_object_graph("orders", testing=True, loader=load_from_dict(TOPICS))

    def test_create_order_saves_and_announces_it(self):
        uri = self.graph.order_api.create_order("ada@example.com", 25.0)
        assert_that(self.graph.order_store.statuses[uri], equal_to("created"))
        assert_that(self.graph.sns_producer, published(has_properties(
            media_type=OrderCreatedSchema.MEDIA_TYPE,
            message=has_entries(uri=uri, customer_email="ada@example.com", total=25.0),
        )))

    def test_create_order_when_the_save_fails_announces_nothing(self):
        assert_that(calling(self.graph.order_api.create_order).with_args("ada@example.com", 0), raises(ValueError))
        assert_that(self.graph.sns_producer, published_nothing())


def test_base_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("ORDERS__ORDER_STORE__BASE_URL", "http://orders.internal")
    graph = create_object_graph("orders")
    assert_that(graph.order_store.base_url, equal_to("http://orders.internal"))


def test_base_url_from_the_settings_file(monkeypatch, tmp_path):
    (tmp_path / "orders.json").write_text('{"order_store": {"base_url": "http://orders.internal"}}')
    monkeypatch.setenv("ORDERS__SETTINGS", str(tmp_path / "orders.json"))
    graph = create_object_graph("orders", loader=load_each(load_from_json_file, load_from_environ))
    assert_that(graph.order_store.base_url, equal_to("http://orders.internal"))


def test_base_url_is_required():
    assert_that(calling(create_object_graph).with_args("orders"), raises(ValidationError))
