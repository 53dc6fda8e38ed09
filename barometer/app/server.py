"""Voilà's identity provider with the page's ``_xsrf`` cookie set, so that closing a tab shuts its kernel down.

Named in ``voila.json`` (``Voila.identity_provider_class``); everything else about serving the
explorer (kernel pool, culling, template) is plain Voilà / jupyter_server configuration there.
"""

from __future__ import annotations

import inspect

from voila.voila_identity_provider import VoilaIdentityProvider


class XsrfCookieIdentityProvider(VoilaIdentityProvider):
    """:class:`VoilaIdentityProvider` that also sets tornado's ``_xsrf`` cookie on the notebook page.

    Voilà's page posts ``/voila/api/shutdown/<kernel id>`` with ``navigator.sendBeacon`` on
    ``beforeunload`` and puts the value of the ``_xsrf`` cookie in the form. Tornado creates that
    cookie only when a handler reads ``xsrf_token``; Voilà's notebook page never does (the page is
    rendered by ``NotebookRenderer``, ahead of the request for preheated kernels), so the beacon
    carried an empty token and jupyter_server answered 403 "'_xsrf' argument missing from POST"
    (voila-dashboards/voila#1458): closed tabs kept their kernels. Reading the token here, where
    jupyter_server already sets its own login cookie for the same request, gives the page a valid
    cookie while XSRF checking stays on for every POST.
    """

    async def get_user(self, handler):
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if handler.request.method == "GET" and handler.settings.get("xsrf_cookies", True) and _is_page(handler):
            handler.current_user = user  # what jupyter_server sets right after this call; the token needs it
            handler.xsrf_token  # noqa: B018 - tornado sets the _xsrf cookie when the token is first read
        return user


def _is_page(handler) -> bool:
    from voila.handler import VoilaHandler

    return isinstance(handler, VoilaHandler)
