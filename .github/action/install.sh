#!/usr/bin/env bash
# Installs recoverscan for the action (action.yml): the release archive for
# this runner's OS and architecture, checked against the release's
# checksums.txt, or, when the action was not used at a release ref, nothing
# (it says so, and action.yml builds from the action's own source).
#
# Environment (action.yml sets it; .ci/action-install-test runs it offline):
#   VERSION        the version input: 1.2.3, v1.2.3, latest, or empty for the
#                  action's own ref
#   ACTION_REF     the ref the workflow used the action at (v1, v1.2.3, main, a SHA)
#   REPOSITORY     owner/name the releases belong to
#   DOWNLOAD_URL   where release assets are: DOWNLOAD_URL/vX.Y.Z/FILE
#                  (default https://github.com/REPOSITORY/releases/download)
#   API_URL        GitHub's API (default https://api.github.com), for v1 and latest
#   GITHUB_TOKEN   for the API (optional; raises its rate limit)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH
# Outputs: version, and from-source=true when there is no release to install.
set -euo pipefail

die() {
	echo "::error::recoverscan install: $*" >&2
	exit 1
}
output() { echo "$1=$2" >>"$GITHUB_OUTPUT"; }

: "${REPOSITORY:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}" "${RUNNER_TEMP:?}" "${GITHUB_OUTPUT:?}" "${GITHUB_PATH:?}"
DOWNLOAD_URL=${DOWNLOAD_URL:-https://github.com/$REPOSITORY/releases/download}
API_URL=${API_URL:-https://api.github.com}
semver='^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

api() {
	local auth=()
	[[ -n ${GITHUB_TOKEN:-} ]] && auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
	curl -fsSL --retry 3 "${auth[@]}" -H "Accept: application/vnd.github+json" "$API_URL/$1"
}

# newest_release PREFIX: the newest release tag vPREFIX.* (or any, for "").
newest_release() {
	api "repos/$REPOSITORY/releases?per_page=100" |
		jq -r --arg p "v$1" '[.[] | select((.draft or .prerelease) | not) | .tag_name
			| select(test("^v[0-9]+\\.[0-9]+\\.[0-9]+$")) | select($p == "v" or startswith($p + "."))]
			| sort_by(ltrimstr("v") | split(".") | map(tonumber)) | last // empty'
}

version=${VERSION:-}
if [[ -z $version ]]; then
	ref=${ACTION_REF:-}
	if [[ $ref =~ $semver ]]; then
		version=$ref
	elif [[ $ref =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
		# A moving major (or minor) tag: the release workflow points v1 at
		# the newest v1.x.y.
		version=$(newest_release "${ref#v}") || die "could not list the releases of $REPOSITORY"
		[[ -n $version ]] || die "no release of $REPOSITORY matches $ref"
	else
		echo "recoverscan: the action is used at ${ref:-an unknown ref}, not a release: building it from the action's source"
		output from-source true
		exit 0
	fi
elif [[ $version == latest ]]; then
	version=$(newest_release "") || die "could not list the releases of $REPOSITORY"
	[[ -n $version ]] || die "$REPOSITORY has no release yet"
fi
[[ $version =~ $semver ]] || die "version \"$version\": want 1.2.3, v1.2.3 or latest"
version=${version#v}

case $RUNNER_OS in
Linux) os=linux ;;
macOS) os=darwin ;;
Windows) os=windows ;;
*) die "no release archive for runner OS $RUNNER_OS" ;;
esac
case $RUNNER_ARCH in
X64) arch=amd64 ;;
ARM64) arch=arm64 ;;
*) die "no release archive for runner architecture $RUNNER_ARCH" ;;
esac
ext=tar.gz
exe=recoverscan
if [[ $os == windows ]]; then
	ext=zip
	exe=recoverscan.exe
fi
archive="recoverscan_${version}_${os}_${arch}.$ext"
base="$DOWNLOAD_URL/v$version"

work=$(mktemp -d "$RUNNER_TEMP/recoverscan-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "recoverscan: downloading $base/$archive"
curl -fsSL --retry 3 -o "$work/$archive" "$base/$archive" || die "could not download $base/$archive"
curl -fsSL --retry 3 -o "$work/checksums.txt" "$base/checksums.txt" || die "could not download $base/checksums.txt"

want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/checksums.txt")
[[ -n $want ]] || die "checksums.txt of v$version does not list $archive"
if command -v sha256sum >/dev/null 2>&1; then
	got=$(sha256sum "$work/$archive" | awk '{ print $1 }')
else
	got=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
fi
[[ $got == "$want" ]] || die "checksum mismatch for $archive: checksums.txt says $want, the download is $got"

bin="$RUNNER_TEMP/recoverscan-$version"
rm -rf "$bin"
mkdir -p "$bin"
if [[ $ext == zip ]]; then
	if command -v unzip >/dev/null 2>&1; then
		unzip -q -o "$work/$archive" "$exe" -d "$bin"
	else
		pwsh -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$bin' -Force"
	fi
else
	tar -xzf "$work/$archive" -C "$bin" "$exe"
fi
[[ -f $bin/$exe ]] || die "$archive holds no $exe"
chmod +x "$bin/$exe"
echo "$bin" >>"$GITHUB_PATH"
output version "$version"
"$bin/$exe" --version
