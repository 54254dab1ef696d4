"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient makes a new `redis.Redis` for every get and set; building one fills a
table of a few hundred response callbacks, which cost more than the round trip itself on a
page-cache hit (a third of its time, issue 14). A Redis client is only a handle on its pool and
is safe to share, so each pool keeps one. Django's own `get_client` comment invites this: a
custom client may choose how it gets one.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
