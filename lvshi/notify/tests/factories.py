import factory

from lvshi.notify.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "message"
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "内容"
