# azd postprovision hook on Windows: the same as postprovision.sh (read it for why).
#  1. Lists the Vonage settings and secrets that are still unset, with the exact commands to set them.
#  2. On the first provision of an identity, waits for its role assignments to propagate before the first deploy.
# It prints no secret.
$ErrorActionPreference = 'Stop'

$vault = $env:AZURE_KEY_VAULT_NAME
if (-not $vault) { throw 'AZURE_KEY_VAULT_NAME is unset: run this through azd (it is an output of infra/main.bicep)' }
$app = if ($env:AZURE_FUNCTION_APP_NAME) { $env:AZURE_FUNCTION_APP_NAME } else { '<function app>' }
$group = if ($env:AZURE_RESOURCE_GROUP) { $env:AZURE_RESOURCE_GROUP } else { '<resource group>' }
$principal = $env:AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID
$waitSeconds = if ($env:AZD_ROLE_PROPAGATION_WAIT_SECONDS) { [int]$env:AZD_ROLE_PROPAGATION_WAIT_SECONDS } else { 120 }

$inVault = @()
if (Get-Command az -ErrorAction SilentlyContinue) {
  try { $inVault = @(az keyvault secret list --vault-name $vault --query '[].name' -o tsv 2>$null) } catch { $inVault = @() }
}

$secrets = [ordered]@{
  'vonage-private-key'      = @{ Variable = 'VONAGE_PRIVATE_KEY_BASE64'; Command = "az keyvault secret set --vault-name $vault --name vonage-private-key --file private.key" }
  'vonage-signature-secret' = @{ Variable = 'VONAGE_SIGNATURE_SECRET'; Command = "az keyvault secret set --vault-name $vault --name vonage-signature-secret --value '<Vonage signature secret>'" }
  'secret-protection-key'   = @{ Variable = 'SECRET_PROTECTION_KEY'; Command = "az keyvault secret set --vault-name $vault --name secret-protection-key --value ([Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)))" }
}
$missing = @($secrets.Keys | Where-Object {
  -not [Environment]::GetEnvironmentVariable($secrets[$_].Variable) -and -not ($inVault -contains $_)
})

if (-not $env:VONAGE_APPLICATION_ID -or $missing.Count -gt 0) {
  Write-Host ''
  Write-Host "WabaOrchestrator: the app fails its start-up validation until these are set (docs/azure.md, 'Secrets in Key Vault'):"
  if (-not $env:VONAGE_APPLICATION_ID) {
    Write-Host '  azd env set VONAGE_APPLICATION_ID <your Vonage application id>; azd provision'
  }
  foreach ($name in $missing) { Write-Host "  $($secrets[$name].Command)" }
  if ($missing.Count -gt 0) {
    Write-Host "  az functionapp restart --name $app --resource-group $group"
    Write-Host '  (or before provisioning: azd env set VONAGE_PRIVATE_KEY_BASE64 ([Convert]::ToBase64String([IO.File]::ReadAllBytes("private.key"))), VONAGE_SIGNATURE_SECRET, SECRET_PROTECTION_KEY)'
    if ($env:AZURE_PRIVATE_NETWORKING -eq 'true') {
      Write-Host '  Private networking is on: the vault refuses requests from outside its network, so use the azd env set way, then azd provision.'
    }
  }
  Write-Host ''
}

if ($principal -and $env:AZD_ROLES_PROPAGATED_FOR -ne $principal -and $waitSeconds -gt 0) {
  Write-Host "WabaOrchestrator: waiting ${waitSeconds}s for the new role assignments of the app's identity to propagate before the first deploy"
  Write-Host '  (AZD_ROLE_PROPAGATION_WAIT_SECONDS sets how long; a 403 on the package upload means: run azd deploy again).'
  Start-Sleep -Seconds $waitSeconds
  if (Get-Command azd -ErrorAction SilentlyContinue) {
    azd env set AZD_ROLES_PROPAGATED_FOR $principal | Out-Null
  }
}
