"""Fills an empty database with realistic, reproducible dummy data (Faker, bulk inserts)."""

import random
from datetime import timedelta
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker
from tqdm import tqdm

from follows.models import Follow
from posts.models import Post
from users.models import User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-2024"  # dummy data only; production never seeds (AUTO_SEED off)
SENTENCE_POOL_SIZE = 5000
POST_SPREAD = timedelta(days=365)


class Command(BaseCommand):
    help = "Fill an empty database with dummy users, posts (some hidden) and follows."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10, help="number of users (default 10)")
        parser.add_argument("--posts-per-user", type=int, default=5, help="posts each user writes (default 5)")
        parser.add_argument("--follows-per-user", type=int, default=3, help="accounts each user follows (default 3)")
        parser.add_argument("--hidden-ratio", type=float, default=0.1, help="share of hidden posts (default 0.1)")
        parser.add_argument("--seed", type=int, default=42, help="random seed: same seed, same data (default 42)")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (exit 0) when the database already has users"
        )

    def handle(self, *args, **options):
        users, posts_per_user = options["users"], options["posts_per_user"]
        follows_per_user, hidden_ratio = options["follows_per_user"], options["hidden_ratio"]
        if users < 2 or posts_per_user < 0 or follows_per_user < 0 or not 0 <= hidden_ratio <= 1:
            raise CommandError("Need --users >= 2, non-negative counts and --hidden-ratio between 0 and 1.")
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has users: dummy data not added.")
                return
            raise CommandError("The database already has users; refusing to add dummy data on top of them.")

        self.rng = random.Random(options["seed"])
        self.faker = Faker()
        self.faker.seed_instance(options["seed"])
        self.batch_size = options["batch_size"]
        self.progress = options["verbosity"] > 0

        with transaction.atomic():
            user_ids = self._create_users(users)
            self._create_posts(user_ids, posts_per_user, hidden_ratio)
            self._create_follows(user_ids, min(follows_per_user, users - 1))

        self.stdout.write(
            self.style.SUCCESS(
                f"Created {User.objects.count()} users, {Post.objects.count()} posts, "
                f"{Follow.objects.count()} follows.\n"
                f"Demo login: username '{DEMO_USERNAME}', password '{DEMO_PASSWORD}' "
                "(every dummy user has this password)."
            )
        )

    def _create_users(self, count):
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
        rows = (self._user(index, password) for index in range(count))
        self._insert(User, rows, count, "users")
        return list(User.objects.order_by("id").values_list("id", flat=True))

    def _user(self, index, password):
        if index == 0:
            return User(username=DEMO_USERNAME, display_name="Demo User", password=password, bio="Try me.")
        name = self.faker.name()
        return User(
            username=f"{self.faker.user_name()}{index}"[:150],
            display_name=name[:50],
            email=f"user{index}@example.com",
            bio=self.faker.sentence(nb_words=8)[:160],
            password=password,
        )

    def _create_posts(self, user_ids, per_user, hidden_ratio):
        sentences = [self.faker.sentence(nb_words=self.rng.randint(4, 16)) for _ in range(SENTENCE_POOL_SIZE)]
        now = timezone.now()
        spread = int(POST_SPREAD.total_seconds())
        rng = self.rng

        def rows():
            for user_id in user_ids:
                for _ in range(per_user):
                    yield Post(
                        user_id=user_id,
                        content=" ".join(rng.sample(sentences, rng.randint(1, 3)))[:500],
                        is_hidden=rng.random() < hidden_ratio,
                        created_date=now - timedelta(seconds=rng.randrange(spread)),
                    )

        self._insert(Post, rows(), len(user_ids) * per_user, "posts")

    def _create_follows(self, user_ids, per_user):
        """Skewed like a real network: a few accounts everyone follows, a few users who follow thousands."""
        rng, population = self.rng, len(user_ids)
        pairs = set()
        for follower in user_ids:
            # One extra draw so that skipping yourself still leaves `per_user` accounts.
            drawn = [user for user in rng.sample(user_ids, min(per_user + 1, population)) if user != follower]
            pairs.update((follower, following) for following in drawn[:per_user])
        celebrities = user_ids[1 : 1 + max(1, population // 2000)]
        for celebrity in celebrities:
            for follower in rng.sample(user_ids, population // 5):
                if follower != celebrity:
                    pairs.add((follower, celebrity))
        power_users = user_ids[-max(1, population // 3000) :]
        for power_user in power_users:
            for following in rng.sample(user_ids, min(5000, population - 1) + 1):
                if following != power_user:
                    pairs.add((power_user, following))
        now = timezone.now()
        rows = (
            Follow(follower_id=a, following_id=b, created_date=now - timedelta(seconds=rng.randrange(86400 * 90)))
            for a, b in sorted(pairs)
        )
        self._insert(Follow, rows, len(pairs), "follows")

    def _insert(self, model, rows, total, label):
        with tqdm(total=total, desc=label, unit="rows", disable=not self.progress, file=self.stderr) as bar:
            while batch := list(islice(rows, self.batch_size)):
                model.objects.bulk_create(batch, batch_size=self.batch_size)
                bar.update(len(batch))
