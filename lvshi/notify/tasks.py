"""Background delivery of SMS and e-mail, on the "notify" queue."""

from django_tasks import task

QUEUE = "notify"


@task(queue_name=QUEUE)
def deliver_task(delivery_id: int) -> str:
    """Send one :class:`~lvshi.notify.models.Delivery`. Returns its final status.

    A failure is recorded on the row (status "failed", error text) and raised
    again so the task result shows it too; ``notify_retry`` sends it again.
    """
    from .services import delivery_send

    return delivery_send(delivery_id=delivery_id)
