"""The referral loop: a new register snapshot may contain people a case referred."""
