#!/bin/sh
# azd postprovision hook (azure.yaml), so `azd up` gets through its first deploy and says what is left to do:
#  1. Lists the Vonage settings and secrets that are still unset, with the exact commands to set them: until they are,
#     the app fails its start-up validation (no Vonage call, no webhook, no secret protection).
#  2. On the first provision of an identity, waits for its role assignments to propagate: on Flex Consumption the
#     platform writes the deployment package with the app's identity, and a deploy right after the assignments were
#     created fails with 403 until Entra has propagated them (a known azd issue that a rerun fixes).
# azd passes the environment's values and infra/main.bicep's outputs as environment variables. It prints no secret.
set -eu

vault="${AZURE_KEY_VAULT_NAME:?AZURE_KEY_VAULT_NAME is unset: run this through azd (it is an output of infra/main.bicep)}"
app="${AZURE_FUNCTION_APP_NAME:-<function app>}"
group="${AZURE_RESOURCE_GROUP:-<resource group>}"
principal="${AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID:-}"
wait_seconds="${AZD_ROLE_PROPAGATION_WAIT_SECONDS:-120}"

# Secrets already in the vault, if we may list them (the deployer's own role may still be propagating: then unknown).
in_vault=""
if command -v az >/dev/null 2>&1; then
  in_vault=$(az keyvault secret list --vault-name "$vault" --query "[].name" -o tsv 2>/dev/null || true)
fi

has_secret() { # $1: secret name, $2: the azd variable that writes it at provision
  eval "given=\${$2:-}"
  [ -n "$given" ] && return 0
  printf '%s\n' "$in_vault" | grep -qx "$1"
}

missing=""
has_secret vonage-private-key VONAGE_PRIVATE_KEY_BASE64 || missing="$missing vonage-private-key"
has_secret vonage-signature-secret VONAGE_SIGNATURE_SECRET || missing="$missing vonage-signature-secret"
has_secret secret-protection-key SECRET_PROTECTION_KEY || missing="$missing secret-protection-key"

if [ -z "${VONAGE_APPLICATION_ID:-}" ] || [ -n "$missing" ]; then
  echo ""
  echo "WabaOrchestrator: the app fails its start-up validation until these are set (docs/azure.md, 'Secrets in Key Vault'):"
  if [ -z "${VONAGE_APPLICATION_ID:-}" ]; then
    echo "  azd env set VONAGE_APPLICATION_ID <your Vonage application id> && azd provision"
  fi
  for secret in $missing; do
    case "$secret" in
      vonage-private-key) echo "  az keyvault secret set --vault-name $vault --name vonage-private-key --file private.key" ;;
      vonage-signature-secret) echo "  az keyvault secret set --vault-name $vault --name vonage-signature-secret --value '<Vonage signature secret>'" ;;
      secret-protection-key) echo "  az keyvault secret set --vault-name $vault --name secret-protection-key --value \"\$(openssl rand -base64 32)\"" ;;
    esac
  done
  if [ -n "$missing" ]; then
    echo "  az functionapp restart --name $app --resource-group $group"
    echo "  (or before provisioning: azd env set VONAGE_PRIVATE_KEY_BASE64 \"\$(base64 -w0 private.key)\", VONAGE_SIGNATURE_SECRET, SECRET_PROTECTION_KEY)"
    if [ "${AZURE_PRIVATE_NETWORKING:-false}" = "true" ]; then
      # With private networking the vault refuses this machine: the az commands above work only inside the network.
      echo "  Private networking is on: the vault refuses requests from outside its network, so use the azd env set way, then azd provision."
    fi
  fi
  echo ""
fi

# Waits once per identity: azd remembers the principal it waited for, so later runs of `azd up` do not wait again.
if [ -n "$principal" ] && [ "${AZD_ROLES_PROPAGATED_FOR:-}" != "$principal" ] && [ "$wait_seconds" -gt 0 ]; then
  echo "WabaOrchestrator: waiting ${wait_seconds}s for the new role assignments of the app's identity to propagate before the first deploy"
  echo "  (AZD_ROLE_PROPAGATION_WAIT_SECONDS sets how long; a 403 on the package upload means: run azd deploy again)."
  sleep "$wait_seconds"
  if command -v azd >/dev/null 2>&1; then
    azd env set AZD_ROLES_PROPAGATED_FOR "$principal" >/dev/null
  fi
fi
