using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityProvider.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "SentAt",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "NextAttemptAt",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTimeOffset),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "LockedUntil",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "FailedAt",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "CreatedAt",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTimeOffset),
                oldType: "TEXT");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_NextAttemptAt",
                table: "OutboxMessages",
                column: "NextAttemptAt",
                filter: "\"SentAt\" IS NULL AND \"FailedAt\" IS NULL");

            // Written by hand: the rows queued before this migration hold their times as text
            // ('2026-11-30 15:03:14.1234567+00:00', always UTC); DateTimeOffsetToBinaryConverter reads
            // ((ticks / 1000) << 11) | offset minutes, and the ticks count from 0001-01-01.
            migrationBuilder.Sql(ConvertTimes("""
                CASE WHEN typeof({0}) = 'text'
                THEN (CAST(ROUND((julianday({0}) - 2440587.5) * 86400000.0) AS INTEGER) * 10 + 621355968000000) * 2048
                ELSE {0} END
                """));
        }

        private static string ConvertTimes(string conversion) =>
            "UPDATE \"OutboxMessages\" SET " + string.Join(", ",
                new[] { "CreatedAt", "NextAttemptAt", "LockedUntil", "SentAt", "FailedAt" }
                    .Select(column => $"\"{column}\" = " + string.Format(System.Globalization.CultureInfo.InvariantCulture, conversion, $"\"{column}\"")));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_NextAttemptAt",
                table: "OutboxMessages");

            // Written by hand: back to the text the earlier model reads.
            migrationBuilder.Sql(ConvertTimes("""
                CASE WHEN typeof({0}) = 'integer'
                THEN strftime('%Y-%m-%d %H:%M:%f', ({0} / 2048 - 621355968000000) / 10000.0, 'unixepoch') || '+00:00'
                ELSE {0} END
                """));

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "SentAt",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "NextAttemptAt",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "LockedUntil",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "FailedAt",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "CreatedAt",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");
        }
    }
}
