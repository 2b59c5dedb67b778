# A token response on stdin -> the kid in its access token's header.
import base64, json, sys
token = json.load(sys.stdin)["access_token"]
head = token.split(".")[0]
print(json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"])
