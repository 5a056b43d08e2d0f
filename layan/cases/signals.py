"""The referral loop: a new register snapshot may contain people a case referred."""

from django.dispatch import receiver

from layan.cases.services import referrals_reconcile
from layan.registry.signals import snapshot_activated


@receiver(snapshot_activated, dispatch_uid="cases.referrals_reconcile")
def _snapshot_activated(sender, snapshot, **kwargs) -> None:
    referrals_reconcile(snapshot=snapshot)
