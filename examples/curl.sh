# The Auth API from a shell: curl keeps the session cookie in a file (-c saves it, -b sends it).
API="${API:-http://localhost:4000/graphql}"
JAR="${JAR:-cookies.txt}"
gql() { curl -sS "$API" -H 'content-type: application/json' -b "$JAR" -c "$JAR" -d "$1"; echo; }

ADA='"variables": { "email": "ada@example.com", "password": "correct horse battery staple" }'
gql '{ "query": "mutation ($email: String!, $password: String!) { register(email: $email, password: $password) { email } }", '"$ADA"' }'
gql '{ "query": "mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { email } }", '"$ADA"' }'
gql '{ "query": "{ me { email } }" }'
gql '{ "query": "mutation { logout }" }'
gql '{ "query": "{ me { email } }" }'
